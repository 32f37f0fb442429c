"""The sore-back bot.

OpenBLAS (numpy's matrix products) is held to one thread unless the environment says
otherwise. The bot's products are small (a message against a topic model or a few hundred
rows), and past a size OpenBLAS splits even those over a thread per core: on a shared, busy
machine the product then waits for a core to come free, and the helper thread spins on
another. Set here, before anything imports numpy, since OpenBLAS reads it once, when it
loads. The numbers are the same either way (bench/RESULTS.md, round 9).
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
