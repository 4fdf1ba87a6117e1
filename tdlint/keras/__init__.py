"""What tdlint knows about Keras: names, layers and their shapes."""
