"""The views beside the log: their database and the follower that feeds them."""
