"""What every data file loader shares: problems with file:line and the line-aware YAML loader."""
