"""The project's authenticated Rasa input channels."""
