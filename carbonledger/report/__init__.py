"""Reports people read: figures (and, later, workbooks and HTML)."""

from .figures import emissions_by_sector, intensity_vs_target, save_figure

__all__ = ["emissions_by_sector", "intensity_vs_target", "save_figure"]
