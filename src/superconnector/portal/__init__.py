"""The delegate portal: profile, directory, recommendations, meetings, agenda, outcomes."""
