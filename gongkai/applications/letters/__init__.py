"""Letters (告知书): Word templates rendered with docxtpl, converted to PDF with LibreOffice."""
