"""Output targets: each writes one kind of file from a mastered programme."""
