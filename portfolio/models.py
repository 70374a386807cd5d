"""Organisation settings for money conversion and the rollups behind the portfolio."""
