"""Run the `rasa` command line with NumPy's global random seed fixed.

`rasa test nlu --cross-validation` shuffles its folds with NumPy's global random state and
no seed, so each run splits differently. Seeding it here makes `make eval` repeatable.
Usage: python -m scripts.seeded_rasa test nlu --cross-validation ...
"""

import random
import sys

import numpy as np

SEED = 42

if __name__ == "__main__":
    random.seed(SEED)
    np.random.seed(SEED)
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
