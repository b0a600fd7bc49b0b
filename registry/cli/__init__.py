"""The command-line interface: argument parsing and output, nothing else."""
