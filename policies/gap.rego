package labelbridge.gap

result := {}
