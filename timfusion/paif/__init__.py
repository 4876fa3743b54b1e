"""PAIF (perception-aware fusion for attack-tolerant segmentation): attacks, robustness studies, the decomposition supernet with HDS, AAT, and detection under attack."""
