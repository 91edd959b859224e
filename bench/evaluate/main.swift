// The evaluation benchmark lands with the evaluator.
print("bench/evaluate: not built yet")
