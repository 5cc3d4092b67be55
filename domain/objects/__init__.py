"""Performance objects (projects, policies, departments) and their goals: registration,
submission, review, approval, adjustment."""
