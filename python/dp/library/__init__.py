"""dp's own implementations of library functions (scipy.special, scipy.stats), written as Python dp compiles.

Each module runs as plain numpy too, so the same code is checked against
scipy without compiling and compiled where a user's program calls the
function it stands for (dp.frontend.special_functions maps the names).
"""
