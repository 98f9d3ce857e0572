"""Collection workbooks: the XLSX template an entity fills in, and the error file of a refused
upload (the uploaded workbook with each problem written beside its row)."""
