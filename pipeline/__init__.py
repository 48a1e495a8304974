"""English press release → reviewed zh-TW and ja publications, offline."""

__version__ = "0.1.0"
