"""Mock interviews: a track of questions, follow-ups drawn from each answer, and a scorecard."""
