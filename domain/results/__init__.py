"""Result application (结果应用) and the funding blocks it imposes."""
