"""Small helpers every stage shares: Swedish formatting, numbers as written, förbund
names, text folding and the input error. They import nothing else of the package."""
