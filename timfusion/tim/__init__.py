"""TIM (task-guided image fusion): Implicit Architecture Search, Pretext Meta Initialization, task-guided training, registration, the semantic study and the studies behind its tables."""
