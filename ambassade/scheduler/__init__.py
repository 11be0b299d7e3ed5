"""The loop that hands due work to the task workers: on the top layer, it knows every app's tasks."""
