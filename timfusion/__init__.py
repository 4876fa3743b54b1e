"timfusion: a literate, reproducible companion to the TIM and PAIF image-fusion papers."
__version__ = "0.1.0"
