"""The Qt desktop window: thin widgets over registry services."""
