"""The sore-back bot.

OpenBLAS (numpy's matrix products) is held to one thread unless the environment says
otherwise: the bot's products are small (one message against a few hundred rows), and with
its default of a thread per core each product waits for busy cores. Measured in
bench/RESULTS.md (round 9): at 50,000 phrasings on a loaded 2-core machine a question's median
wall time fell from 4-10 ms to 1.6-2.2 ms, CPU unchanged. Set here, before anything imports
numpy, since OpenBLAS reads it once, when it loads.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
