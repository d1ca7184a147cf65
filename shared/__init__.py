"""Small modules shared by the Rasa server, the action server and the demo page server.

They import nothing from Rasa, rasa-sdk or the order database, so any of the
three processes can use them without pulling in the others' layers.
"""
