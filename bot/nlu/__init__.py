"""The NLU components config.yml names (the model depends on this package alone:
scripts/train.sh retrains when a file here changes)."""
