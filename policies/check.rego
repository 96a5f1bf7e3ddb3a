package labelbridge.check

result := {}
