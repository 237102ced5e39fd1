"""Text embedders behind one small interface, picked by name in `factory`."""
