"""Documents: PDFs with an embedded Chinese font (reportlab platypus) and workbooks for partners."""
