"""The delegate portal's business logic: views call these and only render the results."""
