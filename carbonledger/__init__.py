"""carbonledger: carbon and energy accounting for inventories, targets and peak-carbon scenarios."""

__version__ = "0.1.0"
