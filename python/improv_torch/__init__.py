"""Train improv's chord-and-melody LSTM with PyTorch's distributed training (see README.md)."""
