"""French surnames and first names for generated employees: 160 × 120 names, combined with
birth dates, give distinct identities at national size (the blind index and the name search
work on realistic word frequencies, not on eight repeated names)."""

LAST_NAMES = """
Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel
Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine
Rousseau Vincent Muller Lefevre Faure Andre Mercier Blanc Guerin Boyer Garnier Chevalier
Francois Legrand Gauthier Garcia Perrin Robin Clement Morin Nicolas Henry Roussel Mathieu
Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noel Meyer Dufour Meunier Brun
Blanchard Giraud Joly Riviere Lucas Brunet Gaillard Barbier Arnaud Martinez Gerard Roche
Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud
Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoit Rey Leclerc Payet Rolland Leclercq
Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin
Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris Poirier
Marty Aubry Guyot Carre Charles Renault Charpentier Menard Maillard Baron Bertin Bailly
Herve Schneider Fernandez Le-Gall Collet Leger Bouvier Julien Prevost Millet Perrot Daniel
Le-Roux Cousin Germain Breton Besson Langlois Remy Le-Goff Pelletier Leveque Perrier
Leblanc Barre Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez
""".split()

FIRST_NAMES = """
Marie Nathalie Isabelle Sylvie Catherine Christine Sandrine Valerie Veronique Sophie
Stephanie Celine Patricia Nadia Karine Laurence Aurelie Julie Emilie Caroline Virginie
Martine Françoise Monique Chantal Anne Camille Laura Sarah Manon Amandine Elodie Audrey
Fatima Aicha Yasmina Leila Samia Josiane Ginette Helene Agnes Corinne Murielle Delphine
Jean Philippe Michel Alain Patrick Nicolas Christophe Pierre Christian Eric Frederic
Laurent Stephane David Olivier Daniel Thierry Pascal Julien Sebastien Vincent Thomas
Bruno Jerome Didier Franck Guillaume Mohamed Karim Rachid Mehdi Kevin Anthony Maxime
Romain Alexandre Benoit Cedric Gilles Serge Yves Hugo Lucas Louis Antoine Quentin Bernard
Gerard Rene Andre Jacques Marc Fabrice Ludovic Mickael Yannick Loic Joel Herve Damien
Emmanuel Arnaud Mathieu Florian Adrien Clement Jordan Dylan Enzo Noemie Oceane Ines Lea
Chloe Pauline Margaux Justine Marion Elise Lucie Eva Jade
""".split()
