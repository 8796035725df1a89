"""Input: keys, touch, mouse and wheel turned into named actions, and nothing else."""
