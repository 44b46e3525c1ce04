"""Data, training, evaluation and serving of the digit CNN (independent of Django)."""
