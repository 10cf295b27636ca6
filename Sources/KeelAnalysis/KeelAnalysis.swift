// placeholder, replaced by the KeelAnalysis implementation
