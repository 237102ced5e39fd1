"""Question answering over an open index: what a question asks, the figure or passage that answers
it, follow-ups, and the answer's text and citations. No HTTP here: the routes and pages call it."""
