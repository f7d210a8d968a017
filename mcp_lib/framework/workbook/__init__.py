"""The framework workbook: its layout, the template written to fill in, and reading it back."""
