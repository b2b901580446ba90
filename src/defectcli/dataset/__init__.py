"""Reading the dataset: find the files, parse them, validate them, build typed records."""
