"""The disclosure report: bilingual HTML and PDF, XLSX data annex, index of indicators."""
