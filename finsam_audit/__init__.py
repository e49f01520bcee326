"""finsam-audit: granskar samordningsförbunds verksamhetsplan och budget mot Finsam-kraven."""

__version__ = "0.1.0"
