"""The read-only web console (/console): server-rendered pages in Chinese over the same
reads, access checks and row filters as the API, with every asset shipped in the package."""
