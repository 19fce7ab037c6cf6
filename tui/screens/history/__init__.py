"""History: past rounds, their answers, search and starred cards."""
