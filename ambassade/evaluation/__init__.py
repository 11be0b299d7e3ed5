"""Measuring the veille's detectors on real, public French blog posts labelled by hand.

`real_posts` holds the labelled set (labels and short cues only, committed) and the
scorer; the posts' excerpts live in a git-ignored cache rebuilt by `ambassade real_posts --import`.
"""
