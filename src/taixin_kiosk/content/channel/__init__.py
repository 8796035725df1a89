"""The signed content channel (TUF): publish packs to a repository, pull the newest."""
