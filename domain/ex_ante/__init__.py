"""Ex-ante assessment (事前绩效评估): whether one is required, and its file."""
