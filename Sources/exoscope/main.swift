import ExoCLI

await Exoscope.start()
