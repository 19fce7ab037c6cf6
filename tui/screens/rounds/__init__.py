"""Question rounds: choosing the cards, then playing them turn by turn."""
