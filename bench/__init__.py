"""The benchmark behind `run_bot.py bench`: workloads, synthetic bases, timers and tables."""
