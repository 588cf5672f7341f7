STAND-IN: not part of 4D. Shaped like the real runtime for 4dbuild's example and tests.
