print("devrig")
