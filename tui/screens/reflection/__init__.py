"""Weekly reflection: the steps, the ratings and the trends."""
