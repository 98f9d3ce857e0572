"""Where a report carries its data block, in each format (names shared by writer and reader).

Kept apart from :mod:`esgledger.report.payload` so that the PDF worker, which only needs
these names, does not import the calculation.
"""

FORMAT = "esgledger-report/1"
ELEMENT_ID = "esgledger-report-data"  # the HTML script element
PDF_ATTACHMENT = "esgledger-report-data.json"  # the file attached to each PDF
