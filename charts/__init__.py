"""Chart geometry shared by the screen (plotly, in ui/) and paper (the PDF, in reports/).

Order, scale and colours are decided here once, so the two renderings cannot drift apart.
Pure data: no plotting library is imported.
"""
